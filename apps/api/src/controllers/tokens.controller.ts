import { Controller, Param } from '@nestjs/common';
import { TokensService } from '@slipway/identity';
import type { Actor, CreateTokenInput, CreatedTokenDto, TokenDto } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentActor, ValidBody } from '../http/params';

@Controller()
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Route('listTokens')
  list(@CurrentActor() actor: Actor): Promise<TokenDto[]> {
    return this.tokens.list(actor);
  }

  @Route('createToken')
  create(@CurrentActor() actor: Actor, @ValidBody('createToken') input: CreateTokenInput): Promise<CreatedTokenDto> {
    return this.tokens.create(actor, input);
  }

  @Route('revokeToken')
  revoke(@CurrentActor() actor: Actor, @Param('tokenId') id: string): Promise<void> {
    return this.tokens.revoke(actor, id);
  }
}
