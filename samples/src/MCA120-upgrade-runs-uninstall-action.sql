-- MCA120 upgrade-runs-uninstall-action: DeleteUserData runs on uninstall
-- (REMOVE~="ALL") and also when the next version's RemoveExistingProducts
-- removes this one, so a major upgrade loses the user's data.

-- 3073 = DLL from Binary, deferred, no impersonation, with its rollback.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('DeleteUserData', 3073, 'DataCA', 'DeleteUserData');
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('RollbackDeleteUserData', 3329, 'DataCA', 'RestoreUserData');
-- Defect (information): no NOT UPGRADINGPRODUCTCODE.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('RollbackDeleteUserData', 'REMOVE~="ALL"', 3399);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('DeleteUserData', 'REMOVE~="ALL"', 3400);
