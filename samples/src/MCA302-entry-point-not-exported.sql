-- MCA302 entry-point-not-exported: the DLL action ConfigureDb calls
-- `ConfigureDb`, but FooCA exports only `_ConfigureDb@4` (error 1723).

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('ConfigureDb', 1, 'FooCA', 'ConfigureDb');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('ConfigureDb', 'NOT Installed', 1001);
