// Reading and writing scenario files: loaded on demand (the YAML parser is not
// needed for the first view).
export { loadScenario, writeScenario } from '../sim/index.ts';
