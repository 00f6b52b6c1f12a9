-- MCA106 file-action-before-install: the deferred action RunTool runs
-- tool.exe, a file this package installs, but is scheduled before
-- InstallFiles (4000), so the file does not exist yet when it runs.

-- 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback + 0x800
-- no-impersonate. It comes from a Binary, not from the File table.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('RunToolRollback', 3329, 'FooCA', 'RunToolRollback');
-- 3090 = 18 (EXE from an installed File) + 0x400 in-script + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('RunTool', 3090, 'ToolExe', '/install');

-- Defect: RunTool (3999) is before InstallFiles (4000). Its rollback is
-- correctly placed immediately before it.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('RunToolRollback', 'NOT Installed', 3998);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('RunTool', 'NOT Installed', 3999);
