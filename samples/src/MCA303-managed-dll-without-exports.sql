-- MCA303 managed-dll-without-exports: the DLL action CheckFoo calls a
-- managed assembly, which has no native export (error 1723).

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'FooCA', 'CheckFoo');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
