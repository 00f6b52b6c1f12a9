-- MCA118 ui-only-property: FASTMODE is set only by an action of the UI
-- sequence and has no default; the execute sequence runs TuneService only
-- when it is set, so a silent install (/qn) never tunes the service.

-- 51 = set a property. Listed in SecureCustomProperties below so that only
-- MCA118 fires.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('DetectFastMode', 51, 'FASTMODE', '1');
INSERT INTO InstallUISequence (Action, Sequence)
  VALUES ('DetectFastMode', 1010);
INSERT INTO Property (Property, Value)
  VALUES ('SecureCustomProperties', 'FASTMODE');

-- 3073 = DLL from Binary, deferred, no impersonation, with its rollback.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('TuneService', 3073, 'TuneCA', 'Tune');
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('RollbackTuneService', 3329, 'TuneCA', 'Untune');
-- Defect: FASTMODE is empty when the UI sequence does not run.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('RollbackTuneService', 'FASTMODE', 4099);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('TuneService', 'FASTMODE', 4100);
