/** The error catalogue: every code with its meaning, hint and exit code, and when each exit code happens. */
export { catalogue, catalogueAreas, type CatalogueEntry } from './catalogue.js';
export { exitCodeMeanings, signalExitMeaning } from './exit-code-meanings.js';
