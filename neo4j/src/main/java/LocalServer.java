import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community with a Bolt listener until SIGTERM.
 *
 * Usage: LocalServer HOME. Every setting (listen address, memory, timeouts) comes from
 * HOME/neo4j.conf, which graph/server.py writes, so the Python side owns configuration.
 * The password comes from the environment rather than argv so that it never shows in ps.
 */
public final class LocalServer {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true);
        Path conf = home.resolve("neo4j.conf");
        if (Files.exists(conf)) {
            builder.loadPropertiesFromFile(conf);
        }
        DatabaseManagementService dbms = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));

        String password = System.getenv("NEO4J_PASSWORD");
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        // The embedded API runs with full rights, so it can set the password the first
        // login would otherwise be forced to change. Only on the first start: later the
        // password is set already, and Neo4j refuses to set it to itself.
        boolean firstStart = system.executeTransactionally(
            "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                + "RETURN passwordChangeRequired",
            Map.of(), result -> result.hasNext() && (Boolean) result.next().get("passwordChangeRequired"));
        if (firstStart && password != null && !password.isEmpty()) {
            system.executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        }
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
