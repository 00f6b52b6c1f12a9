-- MCA503 unhidden-secret: SetConfigureDatabase passes the property
-- DB_PASSWORD (set on the command line) into the CustomActionData of the
-- deferred action ConfigureDatabase, whose Type lacks the hide-target bit
-- 0x2000, so the password is written to the verbose log.

-- 51 = text + Property source: sets property ConfigureDatabase, the
-- CustomActionData of the deferred action of the same name.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('SetConfigureDatabase', 51, 'ConfigureDatabase', 'SERVER=[DB_SERVER];PASSWORD=[DB_PASSWORD]');
-- 3329 = 1 (DLL from Binary) + 0x400 in-script + 0x100 rollback + 0x800 no-impersonate.
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('ConfigureDatabaseRollback', 3329, 'FooCA', 'ConfigureDatabaseRollback');
-- Defect: 3073 = 1 (DLL from Binary) + 0x400 in-script + 0x800
-- no-impersonate, without 0x2000 hide-target (that would be 11265).
INSERT INTO CustomAction (Action, Type, Source, Target)
  VALUES ('ConfigureDatabase', 3073, 'FooCA', 'ConfigureDatabase');

-- Correct order: setter, rollback, deferred action, after InstallFiles (4000).
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('SetConfigureDatabase', 'NOT Installed', 4001);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('ConfigureDatabaseRollback', 'NOT Installed', 4002);
INSERT INTO InstallExecuteSequence (Action, Condition, Sequence)
  VALUES ('ConfigureDatabase', 'NOT Installed', 4003);
