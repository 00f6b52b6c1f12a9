-- MCA206 empty-target: the DLL action CheckFoo has no Target, so there is no
-- entry point to call.

-- Defect: 1 = DLL from Binary, immediate, with a NULL Target.
INSERT INTO CustomAction (Action, Type, Source)
  VALUES ('CheckFoo', 1, 'FooCA');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
