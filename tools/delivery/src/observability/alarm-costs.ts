#!/usr/bin/env node
/**
 * What the packaged templates alarm on and chart, and what that costs a month: every CloudWatch alarm and dashboard
 * of every service, by where it comes from, per stage, priced at CloudWatch's us-east-1 list prices. docs/operations.md
 * quotes its output; run it after a change to alarms (`npm run package -- --stage dev --stage prod` first).
 * Usage: node tools/delivery/src/observability/alarm-costs.ts [--stage dev] [--stage prod]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CfnResource, type CfnTemplate, composeServices, packagedTemplate } from '#packaging';

/** Standard-resolution metric alarm, per alarm-month (an alarm on metric math costs the same per metric it reads). */
export const ALARM_MONTH_USD = 0.1;
/** Per dashboard-month, beyond the 3 an account gets free. */
export const DASHBOARD_MONTH_USD = 3;
export const FREE_DASHBOARDS = 3;

export type AlarmSource = 'slic-watch' | 'dead-letter alarms plugin' | 'stages plugin' | 'serverless-step-functions' | 'service';

/** Where an alarm comes from, by the names each source gives its alarms. */
export function sourceOf(id: string, alarm: CfnResource): AlarmSource {
  if (id.startsWith('slicWatch')) return 'slic-watch';
  if (alarm.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible' && id.endsWith('QueueAlarm'))
    return 'dead-letter alarms plugin';
  if (alarm.Properties?.Namespace === 'AWS/Lambda' && id.endsWith('ErrorsAlarm')) return 'stages plugin';
  if (alarm.Properties?.Namespace === 'AWS/States') return 'serverless-step-functions';
  return 'service';
}

/** Metrics an alarm reads: one, or each metric (not expression) of its metric math. */
const metricsRead = (alarm: CfnResource) =>
  ((alarm.Properties?.Metrics as { MetricStat?: unknown }[] | undefined)?.filter((m) => m.MetricStat).length ?? 0) || 1;

export interface Inventory {
  alarms: Record<AlarmSource, number>;
  metricAlarmMonths: number;
  dashboards: number;
}

export function inventoryOf(template: CfnTemplate): Inventory {
  const alarms = {} as Record<AlarmSource, number>;
  let metricAlarmMonths = 0;
  let dashboards = 0;
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::CloudWatch::Alarm') {
      const source = sourceOf(id, resource);
      alarms[source] = (alarms[source] ?? 0) + 1;
      metricAlarmMonths += metricsRead(resource);
    }
    if (resource.Type === 'AWS::CloudWatch::Dashboard') dashboards += 1;
  }
  return { alarms, metricAlarmMonths, dashboards };
}

const usd = (n: number) => `$${n.toFixed(2)}`;

if (import.meta.main) {
  const { values } = parseArgs({ options: { stage: { type: 'string', multiple: true, default: ['dev', 'prod'] } } });
  for (const stage of values.stage) {
    let alarmMonths = 0;
    let alarmCount = 0;
    let dashboards = 0;
    console.log(`\n${stage}\n| service | alarms (by source) | alarms | metrics alarmed | dashboards |\n| --- | --- | --- | --- | --- |`);
    for (const service of composeServices()) {
      const template = packagedTemplate(service, stage);
      if (!template || !existsSync(service.dir)) {
        console.log(`| ${service.name} | not packaged: npm run package -- --stage ${stage} | | | |`);
        continue;
      }
      const inventory = inventoryOf(template);
      const count = Object.values(inventory.alarms).reduce((a, b) => a + b, 0);
      const bySource = Object.entries(inventory.alarms)
        .map(([source, n]) => `${source} ${n}`)
        .join(', ');
      console.log(`| ${service.name} | ${bySource || '–'} | ${count} | ${inventory.metricAlarmMonths} | ${inventory.dashboards} |`);
      alarmMonths += inventory.metricAlarmMonths;
      alarmCount += count;
      dashboards += inventory.dashboards;
    }
    const dashboardCost = Math.max(0, dashboards - FREE_DASHBOARDS) * DASHBOARD_MONTH_USD;
    console.log(
      `| all | | ${alarmCount} | ${alarmMonths} | ${dashboards} |\n` +
        `${stage}: alarms ${usd(alarmMonths * ALARM_MONTH_USD)}/month, dashboards ${usd(dashboardCost)}/month ` +
        `(${dashboards} less ${FREE_DASHBOARDS} free, in an account of its own), ${usd(alarmMonths * ALARM_MONTH_USD + dashboardCost)} in all`,
    );
  }
}
