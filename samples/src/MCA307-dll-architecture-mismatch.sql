-- MCA307 dll-architecture-mismatch: the DLL behind CheckFoo is x64 code in
-- a package whose Template is Intel: it cannot load on 32-bit Windows.

-- 1 = DLL from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckFoo', 1, 'FooCA', 'CheckFoo');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckFoo', 'NOT Installed', 1001);
