import { Controller, Inject, Req, Res } from '@nestjs/common';
import { AppError } from '@slipway/errors';
import type { FastifyReply } from 'fastify';
import { CONFIG, type Config } from '@slipway/config';
import { AuthService, type ClientInfo } from '@slipway/identity';
import type { Actor, LoginInput, SessionDto, SignupInput } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { ClientInfoParam, CurrentActor, ValidBody } from '../http/params';
import { clearSessionCookies, setSessionCookies } from '../http/cookies';
import { contextOf, type SlipwayRequest } from '../http/request-context';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Route('signup')
  async signup(@ValidBody('signup') input: SignupInput, @ClientInfoParam() client: ClientInfo, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    const session = await this.auth.signup(input, client);
    setSessionCookies(reply, this.config, session.token, session.dto.csrfToken, session.dto.expiresAt);
    return session.dto;
  }

  @Route('login')
  async login(@ValidBody('login') input: LoginInput, @ClientInfoParam() client: ClientInfo, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    const session = await this.auth.login(input, client);
    setSessionCookies(reply, this.config, session.token, session.dto.csrfToken, session.dto.expiresAt);
    return session.dto;
  }

  @Route('logout')
  async logout(@CurrentActor() actor: Actor, @Req() req: SlipwayRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = contextOf(req).sessionToken;
    if (token) await this.auth.logout(token, actor);
    clearSessionCookies(reply, this.config);
  }

  @Route('session')
  async session(@Req() req: SlipwayRequest): Promise<SessionDto> {
    const session = contextOf(req).session;
    if (!session) throw new AppError('UNAUTHENTICATED');
    return this.auth.describe(session);
  }
}
