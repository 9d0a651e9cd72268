// Fragment: the entity `key` names (its id, or the key of one of its list records),
// bound as `e`. Both lookups use a unique index.
CALL (key) {
    MATCH (e:Entity {id: key}) RETURN e
  UNION
    MATCH (:Record {key: key})-[:DESCRIBES]->(e:Entity) RETURN e
}
