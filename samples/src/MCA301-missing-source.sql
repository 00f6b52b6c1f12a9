-- MCA301 missing-source: the DLL action CheckFoo names the Binary MissingCA,
-- but the Binary table has no such row (run-time error 2721).

-- Defect: 1 = DLL from Binary; Binary 'MissingCA' does not exist.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'MissingCA', 'CheckFoo');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
