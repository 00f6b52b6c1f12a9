-- MCA304 dll-dependency-not-on-windows: the DLL behind CheckFoo imports
-- MSVCR120.dll, which a clean Windows does not have (error 1723 there).

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'FooCA', 'CheckFoo');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
