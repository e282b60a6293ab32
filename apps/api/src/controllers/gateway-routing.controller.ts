import { Controller, Inject, Param } from '@nestjs/common';
import { GatewayDefaultsService } from '@slipway/gateway';
import { EnvironmentsService } from '@slipway/projects';
import type { EffectiveRoutingDto, GatewayDefaultsDto, OrgActor, SetGatewayDefaultsInput } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** The organization's routing defaults and an environment's effective routing. */
@Controller()
export class GatewayRoutingController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(GatewayDefaultsService) private readonly defaults: GatewayDefaultsService,
  ) {}

  @Route('getGatewayDefaults')
  get(@CurrentOrg() actor: OrgActor): Promise<GatewayDefaultsDto> {
    return this.defaults.get(actor);
  }

  @Route('setGatewayDefaults')
  set(@CurrentOrg() actor: OrgActor, @ValidBody('setGatewayDefaults') input: SetGatewayDefaultsInput): Promise<GatewayDefaultsDto> {
    return this.defaults.set(actor, input);
  }

  @Route('effectiveGatewayRouting')
  async effective(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
  ): Promise<EffectiveRoutingDto> {
    return this.defaults.effective(actor, (await this.environments.resolve(actor, project, env)).id);
  }
}
