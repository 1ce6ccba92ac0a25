/** What other modules may use of history: the only door into it (checked by dependency-cruiser). */
export { historyCsv, historyPdf } from './history-export';
export { loadHistoryPage, loadWholeHistory, parisDateTime, parisDay } from './history';
export type { HistoryView } from './history';
