//! What the simulated deployment holds when it starts.

use time::OffsetDateTime;
use uuid::Uuid;

use super::ops;
use super::state::{
    OrgRec, ParamOption, ParamRec, PresetRec, State, Subject, TaskLog, TaskRec, TemplateRec,
    Transition, UserRec,
};

/// The starting content of a [`SimulatedCoder`](super::SimulatedCoder).
///
/// [`Seed::demo`] (the default) is a small but complete deployment: the owner `admin` and a
/// member `alice` in the default organization `coder`; templates `docker` and `kubernetes`
/// with rich parameters and presets; a running workspace `dev` (agent `main`, ready, with a
/// `code-server` app and a subdomain app `preview`), a stopped workspace `legacy`, and a task
/// `fix-readme` running in workspace `fix-readme`. [`Seed::empty`] holds only the two users
/// and the organization, for tests that build everything themselves.
#[derive(Debug, Clone, Default)]
pub struct Seed {
    empty: bool,
}

impl Seed {
    /// The demo deployment described on [`Seed`].
    pub fn demo() -> Self {
        Self { empty: false }
    }

    /// Only the users and the organization.
    pub fn empty() -> Self {
        Self { empty: true }
    }

    /// Builds the state; returns it with the owner's and the member's session tokens.
    pub(crate) fn build(&self) -> (State, String, String) {
        let mut state = State::default();
        let now = OffsetDateTime::now_utc();
        let org_id = Uuid::new_v4();
        state.orgs.push(OrgRec {
            id: org_id,
            name: "coder".into(),
            display_name: "Coder".into(),
            is_default: true,
            created_at: now,
        });
        let admin = Uuid::new_v4();
        let alice = Uuid::new_v4();
        state.users.push(UserRec {
            id: admin,
            username: "admin".into(),
            name: "Ada Admin".into(),
            email: "admin@coder.test".into(),
            site_roles: vec!["owner".into()],
            org_ids: vec![org_id],
            created_at: now,
        });
        state.users.push(UserRec {
            id: alice,
            username: "alice".into(),
            name: "Alice Member".into(),
            email: "alice@coder.test".into(),
            site_roles: Vec::new(),
            org_ids: vec![org_id],
            created_at: now,
        });
        let owner_token = ops::random_token();
        let member_token = ops::random_token();
        state
            .tokens
            .insert(owner_token.clone(), Subject::User(admin));
        state
            .tokens
            .insert(member_token.clone(), Subject::User(alice));
        if !self.empty {
            seed_demo(&mut state, org_id, admin);
        }
        (state, owner_token, member_token)
    }
}

fn option(value: &str, description: &str) -> ParamOption {
    ParamOption {
        name: value.to_owned(),
        value: value.to_owned(),
        description: description.to_owned(),
    }
}

fn docker_parameters() -> Vec<ParamRec> {
    vec![
        ParamRec {
            name: "cpu".into(),
            display_name: "CPU cores".into(),
            description: "How many CPU cores the container may use.".into(),
            kind: "number".into(),
            default_value: "2".into(),
            mutable: true,
            required: false,
            options: vec![
                option("2", "Light work"),
                option("4", "Builds"),
                option("8", "Heavy builds"),
            ],
        },
        ParamRec {
            name: "image".into(),
            display_name: "Container image".into(),
            description: "The base image; fixed once the workspace exists.".into(),
            kind: "string".into(),
            default_value: "codercom/enterprise-base:ubuntu".into(),
            mutable: false,
            required: false,
            options: vec![
                option("codercom/enterprise-base:ubuntu", "Ubuntu"),
                option("codercom/enterprise-node:ubuntu", "Ubuntu with Node.js"),
            ],
        },
        ParamRec {
            name: "dotfiles_uri".into(),
            display_name: "Dotfiles repository".into(),
            description: "A Git URL to personalize the workspace with.".into(),
            kind: "string".into(),
            default_value: String::new(),
            mutable: true,
            required: false,
            options: Vec::new(),
        },
    ]
}

fn docker_presets() -> Vec<PresetRec> {
    vec![
        PresetRec {
            id: Uuid::new_v4(),
            name: "Small".into(),
            description: "Two cores for everyday work.".into(),
            default: true,
            parameters: vec![("cpu".into(), "2".into())],
        },
        PresetRec {
            id: Uuid::new_v4(),
            name: "Large".into(),
            description: "Eight cores for heavy builds.".into(),
            default: false,
            parameters: vec![("cpu".into(), "8".into())],
        },
    ]
}

fn kubernetes_parameters() -> Vec<ParamRec> {
    vec![
        ParamRec {
            name: "namespace".into(),
            display_name: "Namespace".into(),
            description: "The Kubernetes namespace to run the pod in.".into(),
            kind: "string".into(),
            default_value: String::new(),
            mutable: false,
            required: true,
            options: Vec::new(),
        },
        ParamRec {
            name: "memory".into(),
            display_name: "Memory (GiB)".into(),
            description: "Memory limit of the pod.".into(),
            kind: "number".into(),
            default_value: "4".into(),
            mutable: true,
            required: false,
            options: Vec::new(),
        },
    ]
}

#[allow(clippy::too_many_arguments)]
fn add_template(
    state: &mut State,
    org_id: Uuid,
    owner: Uuid,
    name: &str,
    display_name: &str,
    description: &str,
    icon: &str,
    parameters: Vec<ParamRec>,
    presets: Vec<PresetRec>,
) -> (Uuid, Uuid) {
    let template_id = Uuid::new_v4();
    let version_id = ops::insert_version(
        state,
        org_id,
        Some(template_id),
        owner,
        Uuid::new_v4(),
        "v1".into(),
        "Initial version".into(),
        parameters,
        presets,
    );
    ops::run_import_now(state, version_id);
    let now = OffsetDateTime::now_utc();
    state.templates.push(TemplateRec {
        id: template_id,
        org_id,
        name: name.into(),
        display_name: display_name.into(),
        description: description.into(),
        icon: icon.into(),
        active_version_id: version_id,
        created_by: owner,
        created_at: now,
        updated_at: now,
        deleted: false,
    });
    (template_id, version_id)
}

fn add_workspace(
    state: &mut State,
    name: &str,
    owner: Uuid,
    org_id: Uuid,
    (template_id, version_id): (Uuid, Uuid),
    params: Vec<(String, String)>,
    running: bool,
) -> Uuid {
    let (ws, _) = ops::insert_workspace(state, name, owner, org_id, template_id);
    let build = ops::insert_build(
        state,
        ws,
        Transition::Start,
        version_id,
        None,
        params.clone(),
        owner,
    );
    ops::run_build_now(state, build);
    if !running {
        let build = ops::insert_build(state, ws, Transition::Stop, version_id, None, params, owner);
        ops::run_build_now(state, build);
    }
    ws
}

fn seed_demo(state: &mut State, org_id: Uuid, admin: Uuid) {
    let docker = add_template(
        state,
        org_id,
        admin,
        "docker",
        "Docker Containers",
        "Develop in a Docker container on the Coder host.",
        "/icon/docker.png",
        docker_parameters(),
        docker_presets(),
    );
    let kubernetes = add_template(
        state,
        org_id,
        admin,
        "kubernetes",
        "Kubernetes (Deployment)",
        "Develop in a pod on a Kubernetes cluster.",
        "/icon/k8s.png",
        kubernetes_parameters(),
        Vec::new(),
    );
    let docker_params = vec![
        ("cpu".to_owned(), "4".to_owned()),
        (
            "image".to_owned(),
            "codercom/enterprise-base:ubuntu".to_owned(),
        ),
        ("dotfiles_uri".to_owned(), String::new()),
    ];
    add_workspace(
        state,
        "dev",
        admin,
        org_id,
        docker,
        docker_params.clone(),
        true,
    );
    add_workspace(
        state,
        "legacy",
        admin,
        org_id,
        kubernetes,
        vec![
            ("namespace".to_owned(), "legacy".to_owned()),
            ("memory".to_owned(), "4".to_owned()),
        ],
        false,
    );
    let task_ws = add_workspace(
        state,
        "fix-readme",
        admin,
        org_id,
        docker,
        docker_params,
        true,
    );
    let now = OffsetDateTime::now_utc();
    let prompt = "Fix the typos in README.md";
    let first = state.next_log_id();
    let second = state.next_log_id();
    state.tasks.push(TaskRec {
        id: Uuid::new_v4(),
        name: "fix-readme".into(),
        display_name: "Fix README typos".into(),
        owner_id: admin,
        org_id,
        template_version_id: docker.1,
        workspace_id: task_ws,
        prompt: prompt.into(),
        created_at: now,
        updated_at: now,
        deleted: false,
        logs: vec![
            TaskLog {
                id: first,
                time: now,
                kind: "input",
                content: prompt.into(),
            },
            TaskLog {
                id: second,
                time: now,
                kind: "output",
                content: "I fixed three typos in README.md.".into(),
            },
        ],
    });
}
