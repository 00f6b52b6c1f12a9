//! Analysis shared by the rules: how each custom action is reached, the words
//! of action names, which rollback and commit actions belong to which deferred
//! action, and every condition of a package.

mod authoring;
mod conditions;
mod names;
pub mod property_flow;
mod roles;
pub mod scenarios;
mod siblings;

pub use authoring::{generated_by_tool, Generated};
pub use conditions::{
    condition_sites, deciding_properties, row_conditions, ConditionOwner, ConditionSiteRef,
    Conditions, RowCondition,
};
pub use names::{name_has_word, normalize_name, strip_module_suffix};
pub use roles::{is_microsoft_module_action, roles, ActionRole, Roles};
pub use siblings::{siblings, Sibling, SiblingKind, Siblings};
