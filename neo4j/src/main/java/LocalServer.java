import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

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
        if (password != null && !password.isEmpty()) {
            // The embedded API runs with full rights, so it can set the password the
            // first login would otherwise be forced to change.
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        }
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
