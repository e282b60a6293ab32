import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule, type Config } from '@slipway/config';
import { DbModule } from '@slipway/db';
import { RedisModule } from '@slipway/redis';
import { CryptoModule } from '@slipway/crypto';
import { GitModule } from '@slipway/git';
import { AuditModule } from '@slipway/audit';
import { IdentityModule } from '@slipway/identity';
import { ProjectsModule } from '@slipway/projects';
import { SecretsModule } from '@slipway/secrets';
import { DockerModule } from '@slipway/docker';
import { QueueModule } from '@slipway/queue';
import { BuildsModule } from '@slipway/builds';
import { DeploymentsModule } from '@slipway/deployments';
import { GatewayModule } from '@slipway/gateway';
import { ObservabilityModule } from '@slipway/observability';
import { BillingModule, BillingPaymentsModule } from '@slipway/billing';
import { PaymentsModule } from '@slipway/payments';
import { MarketplaceModule } from '@slipway/marketplace';
import { AuthGuard } from './http/auth.guard';
import { ProblemFilter } from './http/problem.filter';
import { GitHttpRoute } from './git/git-http.route';
import { GatewayRoutes } from './gateway/gateway.routes';
import { GatewaySocketServer } from './gateway/gateway-socket.server';
import { AuthController } from './controllers/auth.controller';
import { OrganizationsController } from './controllers/organizations.controller';
import { ProjectsController } from './controllers/projects.controller';
import { VariablesController } from './controllers/variables.controller';
import { TokensController } from './controllers/tokens.controller';
import { AuditController } from './controllers/audit.controller';
import { HealthController } from './controllers/health.controller';
import { DocsController } from './controllers/docs.controller';
import { DeploymentsController } from './controllers/deployments.controller';
import { DomainsController } from './controllers/domains.controller';
import { BuildsController } from './controllers/builds.controller';
import { QuotasController } from './controllers/quotas.controller';
import { MachineCapacityController } from './controllers/machine-capacity.controller';
import { GatewayKeysController } from './controllers/gateway-keys.controller';
import { GatewayProvidersController } from './controllers/gateway-providers.controller';
import { GatewayRoutingController } from './controllers/gateway-routing.controller';
import { MetricsController } from './controllers/metrics.controller';
import { GatewayUsageController } from './controllers/gateway-usage.controller';
import { GatewayBudgetsController } from './controllers/gateway-budgets.controller';
import { ExplainController } from './controllers/explain.controller';
import { GatewayDrillsController } from './controllers/gateway-drills.controller';
import { TopPathsController } from './controllers/top-paths.controller';
import { TrafficController } from './controllers/traffic.controller';
import { ReleaseVerdictsController } from './controllers/release-verdicts.controller';
import { ResourcesController } from './controllers/resources.controller';
import { ModelTrafficController } from './controllers/model-traffic.controller';
import { LogsController } from './controllers/logs.controller';
import { GitHooks } from './git/git-hooks';
import { BillingPaymentsController } from './controllers/billing-payments.controller';
import { BillingAnalyticsController } from './controllers/billing-analytics.controller';
import { StripeWebhookRoute } from './payments/stripe-webhook.route';
import { MarketplaceListingsController } from './controllers/marketplace-listings.controller';
import { MarketplacePlansController } from './controllers/marketplace-plans.controller';
import { MarketplaceCatalogController } from './controllers/marketplace-catalog.controller';
import { MarketplaceSubscriptionsController } from './controllers/marketplace-subscriptions.controller';
import { MarketplaceKeysController } from './controllers/marketplace-keys.controller';
import { BillingInvoicesController } from './controllers/billing-invoices.controller';
import { BillingPublisherController } from './controllers/billing-publisher.controller';

@Module({
  imports: [DbModule, RedisModule, CryptoModule, GitModule, DockerModule, QueueModule, AuditModule, IdentityModule, ProjectsModule, SecretsModule, BuildsModule, DeploymentsModule, GatewayModule, ObservabilityModule, PaymentsModule, BillingPaymentsModule, BillingModule, MarketplaceModule],
  controllers: [
    AuthController,
    OrganizationsController,
    ProjectsController,
    VariablesController,
    TokensController,
    AuditController,
    HealthController,
    DocsController,
    DeploymentsController,
    DomainsController,
    BuildsController,
    QuotasController,
    MachineCapacityController,
    GatewayKeysController,
    GatewayProvidersController,
    GatewayRoutingController,
    MetricsController,
    TrafficController,
    ReleaseVerdictsController,
    TopPathsController,
    ResourcesController,
    ModelTrafficController,
    LogsController,
    GatewayUsageController,
    ExplainController,
    GatewayBudgetsController,
    GatewayDrillsController,
    BillingPaymentsController,
    BillingAnalyticsController,
    MarketplaceListingsController,
    MarketplacePlansController,
    MarketplaceCatalogController,
    MarketplaceSubscriptionsController,
    MarketplaceKeysController,
    BillingInvoicesController,
    BillingPublisherController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ProblemFilter },
    GitHttpRoute,
    GatewayRoutes,
    GatewaySocketServer,
    GitHooks,
    StripeWebhookRoute,
  ],
})
export class AppModule {
  /** The api with the configuration createApi() was given. */
  static withConfig(config: Config): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.withConfig(config)] };
  }
}
