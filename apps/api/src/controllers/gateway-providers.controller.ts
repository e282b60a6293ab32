import { Controller, Inject, Param } from '@nestjs/common';
import { ProvidersService } from '@slipway/gateway';
import type { CreateProviderInput, OrgActor, ProviderDto, UpdateProviderInput } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** Model providers of `/orgs/:org/gateway/providers` (the built-in mock is listed, never changed). */
@Controller()
export class GatewayProvidersController {
  constructor(@Inject(ProvidersService) private readonly providers: ProvidersService) {}

  @Route('listGatewayProviders')
  list(@CurrentOrg() actor: OrgActor): Promise<ProviderDto[]> {
    return this.providers.list(actor);
  }

  @Route('createGatewayProvider')
  create(@CurrentOrg() actor: OrgActor, @ValidBody('createGatewayProvider') input: CreateProviderInput): Promise<ProviderDto> {
    return this.providers.create(actor, input);
  }

  @Route('updateGatewayProvider')
  update(
    @CurrentOrg() actor: OrgActor,
    @Param('provider') name: string,
    @ValidBody('updateGatewayProvider') input: UpdateProviderInput,
  ): Promise<ProviderDto> {
    return this.providers.update(actor, name, input);
  }

  @Route('deleteGatewayProvider')
  remove(@CurrentOrg() actor: OrgActor, @Param('provider') name: string): Promise<void> {
    return this.providers.remove(actor, name);
  }
}
