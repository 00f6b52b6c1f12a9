-- MCA306 not-an-executable: the DLL action CheckFoo calls FooCA, which
-- holds text, not a DLL (error 1723).

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'FooCA', 'CheckFoo');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
