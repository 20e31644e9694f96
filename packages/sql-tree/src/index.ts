export { COMPARISON_OPERATORS, isObject, items, text, type JsonObject, type JsonValue } from './json.js';
export { DESERIALIZE_SQL, openParserDb, runText, SERIALIZE_SQL } from './parser-db.js';
