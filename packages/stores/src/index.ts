export { neo4jFromEnv, type Neo4jStore } from './neo4j.js';
export { mongoFromEnv, type MongoStore } from './mongo.js';
