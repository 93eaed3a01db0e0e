// The batch job lifecycle as AWS documents it (the service model's ModelInvocationJobStatus documentation): a job is
// queued (Submitted), validated (Validating; it fails there if its files break the rules), queued to run
// (Scheduled; "Expired" when it "didn't begin before the set timeout"), runs (InProgress), and ends Completed, or
// PartiallyCompleted when "not all of your records could be processed in time"; a user's stop goes through Stopping
// to Stopped; Failed can end any step before the end. Written here, for the tests, not imported from the engine.
export const DOCUMENTED_NEXT: Readonly<Record<string, readonly string[]>> = {
  Submitted: ['Validating', 'Failed', 'Stopping', 'Expired'],
  Validating: ['Scheduled', 'Failed', 'Stopping', 'Expired'],
  Scheduled: ['InProgress', 'Failed', 'Stopping', 'Expired'],
  InProgress: ['Completed', 'PartiallyCompleted', 'Failed', 'Stopping'],
  Stopping: ['Stopped'],
  Completed: [],
  PartiallyCompleted: [],
  Failed: [],
  Stopped: [],
  Expired: [],
};
