/**
 * The stages we ship, each with what the template check demands of it. The check packages every service for
 * each of them; adding a stage is adding its line here.
 */
export interface ShippedStage {
  name: string;
  /** Tables keep their data: point-in-time recovery on, and Retain when the stack deletes or replaces them. */
  tablesKeepData: boolean;
}

export const SHIPPED_STAGES: readonly ShippedStage[] = [
  { name: 'dev', tablesKeepData: false },
  { name: 'prod', tablesKeepData: true },
];
