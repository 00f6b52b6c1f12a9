-- MCA116 never-runs: CleanupData is meant to run on uninstall, but its
-- condition also requires the product not to be installed: no scenario
-- satisfies both, so the action is dead.

-- 3073 = DLL from Binary, deferred, no impersonation.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CleanupData', 3073, 'CleanupCA', 'CleanupData');

-- Defect: REMOVE="ALL" holds only when the product is installed.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CleanupData', 'REMOVE="ALL" AND NOT Installed', 3000);

-- Its rollback, with the same condition, so that only MCA116 fires.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('RollbackCleanupData', 3329, 'CleanupCA', 'RollbackCleanupData');
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('RollbackCleanupData', 'REMOVE="ALL" AND NOT Installed', 2999);
