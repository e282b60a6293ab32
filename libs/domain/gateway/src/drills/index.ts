export { GatewayDrillsService } from './gateway-drills.service';
export { GatewayDrillsRepository } from './gateway-drills.repository';
export { resolveDrillTarget, type DrillTarget } from './drill-target';
export { buildDrillReport, type DrillSample, type DrillEvent } from './drill-report';
