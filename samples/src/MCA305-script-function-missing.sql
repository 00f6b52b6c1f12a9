-- MCA305 script-function-missing: the VBScript action CheckBar calls
-- `CheckBar`, which the script does not define (error 1720). Being a script
-- action, it is also reported by MCA204 script-action.

-- 6 = VBScript from Binary, immediate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('CheckBar', 6, 'FooVbs', 'CheckBar');

INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('CheckBar', 'NOT Installed', 1001);
