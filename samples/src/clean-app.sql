-- clean-app: correctly authored custom actions. msica must report no error
-- and no warning for this package.
--
-- Standard actions that wixl places in InstallExecuteSequence, for reference:
-- CostInitialize 800, FileCost 900, CostFinalize 1000, InstallValidate 1400,
-- InstallInitialize 1500, ProcessComponents 1600, InstallFiles 4000,
-- RegisterUser 6000, RegisterProduct 6100, PublishFeatures 6300,
-- PublishProduct 6400, InstallFinalize 6600.

-- SetDATADIR, type 35 (text + Directory source = set a directory's path),
-- scheduled right after CostFinalize like WiX's SetDirectory.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('SetDATADIR', 35, 'DATADIR', '[CommonAppDataFolder]msica\MsicaApp\');

-- Type 51 (text + Property source = set a property). Each sets the property
-- named exactly like an in-script action, which that action then reads as
-- its CustomActionData.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('SetRollbackFoo', 51, 'RollbackFoo', 'INSTALLDIR=[INSTALLDIR];DATADIR=[DATADIR]');
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('SetInstallFoo', 51, 'InstallFoo', 'INSTALLDIR=[INSTALLDIR];DATADIR=[DATADIR]');

-- RollbackFoo, 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback
-- + 0x800 no-impersonate. It undoes InstallFoo.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('RollbackFoo', 3329, 'FooCA', 'RollbackFoo');

-- InstallFoo, 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800
-- no-impersonate: deferred, runs elevated from the install script.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('InstallFoo', 3073, 'FooCA', 'InstallFoo');

-- Setters first, then the rollback immediately before the action it undoes,
-- all after InstallFiles and inside the InstallInitialize..InstallFinalize
-- window, all under the same condition.
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('SetDATADIR', 'NOT Installed', 1001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('SetRollbackFoo', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('SetInstallFoo', 'NOT Installed', 4002);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('RollbackFoo', 'NOT Installed', 4003);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('InstallFoo', 'NOT Installed', 4004);
