-- MCA205 unconditional-error: the error action BlockInstall (type 19) is
-- scheduled with no condition, so every installation aborts there.

-- 19 = text + SourceFile bits: display the message in Target and fail.
INSERT INTO CustomAction (Action, Type, Target)
  VALUES ('BlockInstall', 19, 'This product requires a newer version of Windows.');

-- Defect: no Condition column value.
INSERT INTO InstallExecuteSequence (Action, Sequence)
  VALUES ('BlockInstall', 750);
