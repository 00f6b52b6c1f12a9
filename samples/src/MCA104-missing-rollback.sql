-- MCA104 missing-rollback: the deferred, elevated DLL action InstallFoo
-- changes the system but has no rollback action.

-- 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800 no-impersonate (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');

-- Correctly placed after InstallFiles (4000); defect: nothing undoes it.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4001);
