-- MCA114 shadows-standard-action: a custom action is named BindImage, like
-- the standard action. The sequence row BindImage runs the standard action;
-- the custom action is never called (ICE93).

-- 1 = DLL from Binary, immediate. Defect: the name of a standard action.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('BindImage', 1, 'ImageCA', 'BindImage');

-- The one BindImage row, at the standard action's usual place (4300, after
-- InstallFiles).
INSERT INTO InstallExecuteSequence (Action, Sequence)
  VALUES ('BindImage', 4300);
