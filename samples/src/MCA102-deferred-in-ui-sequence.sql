-- MCA102 deferred-in-ui-sequence: the deferred action InstallFoo is correctly
-- scheduled in InstallExecuteSequence, but is also scheduled in
-- InstallUISequence, where no install script exists.

-- 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFooRollback', 3329, 'FooCA', 'InstallFooRollback');
-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');

-- Correct: rollback before the deferred action, after InstallFiles (4000).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFooRollback', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4002);

-- Defect: the deferred action in the UI sequence (after CostFinalize, 1000).
INSERT INTO InstallUISequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 1001);
