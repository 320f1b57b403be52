// Reading and writing scenario files and saves: loaded on demand (the YAML parser is
// not needed for the first view). Everything that brings a cluster into the store
// from outside an edit goes through these.
export { loadScenario, writeScenario } from '../sim/index.ts';
export { looksLikeSave, restoreFiles, restoreSave, restoreScenario, restoreShared, saveText, shareText } from '../sim/scenario/restore.ts';
