-- MCA117 file-removed-before-action: UnregisterPlugin calls app.dat, an
-- installed file, as a deferred DLL action placed after RemoveFiles and
-- unconditioned: on uninstall RemoveFiles has deleted it first (1723).

-- 1041 = 17 (DLL from an installed file) + 1024 (deferred).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('UnregisterPlugin', 1041, 'AppFile', 'Unregister');

-- Defect: after RemoveFiles (3500) and after InstallFiles, with no condition.
INSERT INTO InstallExecuteSequence (Action, Sequence)
  VALUES ('UnregisterPlugin', 4100);

-- Its rollback, so that only MCA117 fires.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('RollbackUnregisterPlugin', 1297, 'AppFile', 'Reregister');
INSERT INTO InstallExecuteSequence (Action, Sequence)
  VALUES ('RollbackUnregisterPlugin', 4099);
