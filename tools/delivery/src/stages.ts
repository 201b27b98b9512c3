/**
 * The stages whose templates are checked, each with what the house rules demand of it. The check packages every
 * service for each of them; adding a stage is adding its line here.
 */
export interface CheckedStage {
  name: string;
  /** Tables keep their data: point-in-time recovery on, and Retain when the stack deletes or replaces them. */
  tablesKeepData: boolean;
  /** Its secrets are real: none may be written into a template (the local stage's keys are throwaway values). */
  secretsKeptOut: boolean;
  /** It is watched (slic-watch, `alarms.slicWatch` in the base config's stage settings): every service has a dashboard and every alarm notifies someone. */
  watched: boolean;
}

/** What the pipeline deploys. */
export const SHIPPED_STAGES: readonly CheckedStage[] = [
  { name: 'dev', tablesKeepData: false, secretsKeptOut: true, watched: true },
  { name: 'prod', tablesKeepData: true, secretsKeptOut: true, watched: true },
];

/** The shipped stages and `local`, the stage `npm start` and the tests run: its templates are what they read. */
export const CHECKED_STAGES: readonly CheckedStage[] = [
  { name: 'local', tablesKeepData: false, secretsKeptOut: false, watched: false },
  ...SHIPPED_STAGES,
];
