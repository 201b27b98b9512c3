import { parseWith, ReportDatePath } from '../src';

describe('the day of a report in a path', () => {
  it.each(['2026-03-01', '2024-02-29', '1999-12-31'])('accepts %s', (date) => {
    expect(parseWith(ReportDatePath, { date })).toEqual({ success: true, data: { date } });
  });

  it.each(['2026-3-1', '2026-02-30', '2025-02-29', '2026-13-01', '20260301', 'today', '2026-03-01T00:00:00Z', ''])(
    'refuses %s, naming the date',
    (date) => {
      const result = parseWith(ReportDatePath, { date });

      expect(result.success).toBe(false);
      expect(!result.success && result.issues[0]?.path).toBe('date');
    },
  );
});
