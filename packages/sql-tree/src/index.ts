export { isObject, text, type JsonObject, type JsonValue } from './json.js';
export { DESERIALIZE_SQL, openParserDb, runText, SERIALIZE_SQL } from './parser-db.js';
