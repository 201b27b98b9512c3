/**
 * A stack may name only what exists when it deploys. Compose deploys a service after the services it depends on
 * (their outputs as params, or `dependsOn`) and beside every other, so a stage's RouteSettings may name only routes
 * of its own stack (with a DependsOn on them) or of a stack it depends on. Otherwise a brand-new stage needs several
 * deploys, as API Gateway refuses settings for a route that does not exist yet.
 */
import type { CfnTemplate, ComposeService } from '#packaging';
import { isObject, resourcesOfType } from './template.ts';

export interface PackagedService {
  service: Pick<ComposeService, 'name' | 'dependsOn'>;
  template: CfnTemplate;
}

/** Every service deployed before this one: its dependencies, and theirs. */
function deployedBefore(services: PackagedService[], name: string): Set<string> {
  const before = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of services.find((s) => s.service.name === current)?.service.dependsOn ?? [])
      if (!before.has(dependency)) {
        before.add(dependency);
        visit(dependency);
      }
  };
  visit(name);
  return before;
}

export function routeSettingsOutOfOrder(services: PackagedService[]): string[] {
  const creators = services.flatMap(({ service, template }) =>
    resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([id, route]) => ({
      service: service.name,
      id,
      key: route.Properties?.RouteKey,
    })),
  );
  return services.flatMap(({ service, template }) =>
    resourcesOfType(template, 'AWS::ApiGatewayV2::Stage').flatMap(([stageId, stage]) => {
      const settings = stage.Properties?.RouteSettings;
      if (settings === undefined) return [];
      const at = `${service.name}: Resources.${stageId}.Properties.RouteSettings`;
      if (!isObject(settings) || Object.keys(settings).some((key) => key.startsWith('Fn::')))
        return [`${at} is not a plain map of route keys, so which routes it names cannot be known before deploying`];
      const before = deployedBefore(services, service.name);
      const dependsOn = [stage.DependsOn ?? []].flat();
      return Object.keys(settings).flatMap((key) => {
        const creator = creators.find((route) => route.key === key);
        if (!creator) return [`${at} names the route ${key}, which no stack creates`];
        if (creator.service === service.name)
          return dependsOn.includes(creator.id)
            ? []
            : [`${at} names the route ${key} of its own stack without a DependsOn on ${creator.id}`];
        return before.has(creator.service)
          ? []
          : [
              `${at} names the route ${key}, which ${creator.service} creates, but compose does not deploy ${creator.service} first: ` +
                `add it to ${service.name}'s dependsOn in serverless-compose.yml`,
            ];
      });
    }),
  );
}
