-- The OTLP export reads every environment's lines in storage order after its cursor (seq):
-- without this index each pass would scan the kept days.
CREATE INDEX "AppLogLine_seq_idx" ON "AppLogLine"("seq");
