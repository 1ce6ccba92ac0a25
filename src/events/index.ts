/** What other modules may use of events: the only door into it (checked by dependency-cruiser). */
export { accountEvents, traceAccountEvent } from './account-events';
export { traceAndNotify, traceEventAndNotify } from './patient-notices';
