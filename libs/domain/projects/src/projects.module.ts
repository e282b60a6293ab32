import { Module } from '@nestjs/common';
import { EnvironmentsService } from './environments.service';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';
import { ProjectUrls } from './urls';

@Module({
  providers: [ProjectsRepository, ProjectsService, EnvironmentsService, ProjectUrls],
  exports: [ProjectsService, EnvironmentsService, ProjectUrls],
})
export class ProjectsModule {}
