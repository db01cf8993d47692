//! Every endpoint of the simulator, driven once with success and error cases, then checked
//! against swagger: each request maps to an operation, each answer validates.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use coder_sdk::testing::{JobOutcome, SimulatedCoder};
use reqwest::Method;
use serde_json::{Value, json};
use support::swagger::{assert_requests_match_swagger, swagger};

struct Api<'a> {
    sim: &'a SimulatedCoder,
    http: reqwest::Client,
}

impl Api<'_> {
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.sim.url()));
        if let Some(token) = token {
            req = req.header("Coder-Session-Token", token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> Value {
        let (status, body) = self
            .call(Method::GET, path, Some(self.sim.session_token()), None)
            .await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    async fn send(&self, method: Method, path: &str, body: Value) -> (u16, Value) {
        self.call(method, path, Some(self.sim.session_token()), Some(body))
            .await
    }
}

fn tar_with(files: &[(&str, &str)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, content) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, name, content.as_bytes())
            .unwrap();
    }
    builder.into_inner().unwrap()
}

const MAIN_TF: &str = r#"
terraform {
  required_providers {
    coder = { source = "coder/coder" }
  }
}

data "coder_parameter" "region" {
  name         = "region"
  display_name = "Region"
  type         = "string"
  default      = "eu"
  mutable      = true
  option {
    name  = "Europe"
    value = "eu"
  }
  option {
    name  = "United States"
    value = "us"
  }
}
"#;

#[tokio::test]
async fn users_organizations_and_deployment_endpoints_match_swagger() {
    let sim = SimulatedCoder::start().await.unwrap();
    let api = Api {
        sim: &sim,
        http: reqwest::Client::new(),
    };
    let me = api.get("/api/v2/users/me").await;
    assert_eq!(me["username"], "admin");
    assert_eq!(me["roles"][0]["name"], "owner");
    api.get("/api/v2/users/admin").await;
    api.get(&format!("/api/v2/users/{}", sim.owner_id())).await;
    let users = api.get("/api/v2/users?limit=1").await;
    assert_eq!(users["count"], 2);
    assert_eq!(users["users"].as_array().unwrap().len(), 1);
    let orgs = api.get("/api/v2/users/me/organizations").await;
    assert_eq!(orgs[0]["name"], "coder");
    assert_eq!(orgs[0]["is_default"], true);
    api.get("/api/v2/organizations").await;
    api.get(&format!("/api/v2/organizations/{}", sim.organization_id()))
        .await;
    let host = api.get("/api/v2/applications/host").await;
    assert_eq!(host["host"], "*.apps.coder.test");
    let (status, info) = api.call(Method::GET, "/api/v2/buildinfo", None, None).await;
    assert_eq!(status, 200);
    assert!(info["version"].as_str().unwrap().starts_with("v2."));

    let (status, body) = api
        .call(
            Method::GET,
            "/api/v2/users/nobody",
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert!(body["message"].as_str().unwrap().contains("not found"));
    let (status, _) = api.call(Method::GET, "/api/v2/users/me", None, None).await;
    assert_eq!(status, 401);
    let (status, _) = api
        .call(
            Method::GET,
            "/api/v2/organizations/nope",
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn template_authoring_endpoints_match_swagger() {
    let sim = SimulatedCoder::start().await.unwrap();
    let api = Api {
        sim: &sim,
        http: reqwest::Client::new(),
    };
    let org = sim.organization_id();
    let templates = api.get("/api/v2/templates").await;
    let names: Vec<&str> = templates
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["docker", "kubernetes"]);
    let docker = sim.template_id("docker").unwrap();
    let active = sim.active_version_id("docker").unwrap();
    api.get(&format!("/api/v2/templates/{docker}")).await;
    api.get(&format!("/api/v2/organizations/{org}/templates"))
        .await;
    api.get(&format!("/api/v2/templates/{docker}/versions"))
        .await;
    api.get(&format!("/api/v2/templateversions/{active}")).await;
    let params = api
        .get(&format!(
            "/api/v2/templateversions/{active}/rich-parameters"
        ))
        .await;
    let cpu = params
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "cpu")
        .unwrap();
    assert_eq!(cpu["default_value"], "2");
    assert_eq!(cpu["options"].as_array().unwrap().len(), 3);
    assert_eq!(cpu["mutable"], true);
    let presets = api
        .get(&format!("/api/v2/templateversions/{active}/presets"))
        .await;
    assert_eq!(presets[0]["Name"], "Small");
    assert_eq!(presets[0]["Default"], true);
    api.get(&format!("/api/v2/templateversions/{active}/logs"))
        .await;

    // Upload, import, create a template from it, promote a second version, delete.
    let tar = tar_with(&[("main.tf", MAIN_TF), ("README.md", "# demo\n")]);
    let resp = api
        .http
        .post(format!("{}/api/v2/files", sim.url()))
        .header("Coder-Session-Token", sim.session_token())
        .header("Content-Type", "application/x-tar")
        .body(tar.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let file: Value = resp.json().await.unwrap();
    let file_id = file["hash"].as_str().unwrap().to_owned();
    assert_eq!(sim.file(file_id.parse().unwrap()).unwrap(), tar);
    let (status, version) = api
        .send(
            Method::POST,
            &format!("/api/v2/organizations/{org}/templateversions"),
            json!({"file_id": file_id, "storage_method": "file", "provisioner": "terraform", "message": "Created by AI"}),
        )
        .await;
    assert_eq!(status, 201, "{version}");
    assert_eq!(version["job"]["status"], "pending");
    let version_id = version["id"].as_str().unwrap().to_owned();
    assert_eq!(
        sim.wait_for_template_version(version_id.parse().unwrap())
            .await,
        JobOutcome::Succeeded
    );
    let params = api
        .get(&format!(
            "/api/v2/templateversions/{version_id}/rich-parameters"
        ))
        .await;
    assert_eq!(params[0]["name"], "region");
    assert_eq!(params[0]["default_value"], "eu");
    assert_eq!(params[0]["options"].as_array().unwrap().len(), 2);
    let logs = api
        .get(&format!("/api/v2/templateversions/{version_id}/logs"))
        .await;
    assert!(logs.as_array().unwrap().len() >= 3);

    let (status, template) = api
        .send(
            Method::POST,
            &format!("/api/v2/organizations/{org}/templates"),
            json!({"name": "regional", "display_name": "Regional", "description": "d", "template_version_id": version_id}),
        )
        .await;
    assert_eq!(status, 200, "{template}");
    let template_id = template["id"].as_str().unwrap().to_owned();
    assert_eq!(template["active_version_id"], version_id.as_str());

    let (status, v2) = api
        .send(
            Method::POST,
            &format!("/api/v2/organizations/{org}/templateversions"),
            json!({"file_id": file_id, "storage_method": "file", "provisioner": "terraform", "template_id": template_id}),
        )
        .await;
    assert_eq!(status, 201);
    let v2_id = v2["id"].as_str().unwrap().to_owned();
    assert_eq!(
        sim.wait_for_template_version(v2_id.parse().unwrap()).await,
        JobOutcome::Succeeded
    );
    let (status, msg) = api
        .send(
            Method::PATCH,
            &format!("/api/v2/templates/{template_id}/versions"),
            json!({"id": v2_id}),
        )
        .await;
    assert_eq!(status, 200, "{msg}");
    assert_eq!(
        api.get(&format!("/api/v2/templates/{template_id}")).await["active_version_id"],
        v2_id.as_str()
    );

    // Errors: name taken, version of another template, member may not author, bad body.
    let (status, _) = api
        .send(
            Method::POST,
            &format!("/api/v2/organizations/{org}/templates"),
            json!({"name": "docker", "template_version_id": v2_id}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = api
        .send(
            Method::PATCH,
            &format!("/api/v2/templates/{docker}/versions"),
            json!({"id": v2_id}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = api
        .call(
            Method::POST,
            &format!("/api/v2/organizations/{org}/templateversions"),
            Some(sim.member_token()),
            Some(json!({"file_id": file_id, "storage_method": "file", "provisioner": "terraform"})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = api
        .send(
            Method::POST,
            &format!("/api/v2/organizations/{org}/templateversions"),
            json!({"storage_method": "file"}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = api
        .send(
            Method::DELETE,
            &format!("/api/v2/templates/{docker}"),
            json!({}),
        )
        .await;
    assert_eq!(status, 400, "docker still has workspaces");

    let (status, deleted) = api
        .call(
            Method::DELETE,
            &format!("/api/v2/templates/{template_id}"),
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert!(deleted["message"].is_string());
    let (status, _) = api
        .call(
            Method::GET,
            &format!("/api/v2/templates/{template_id}"),
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 404);

    // An archive without Terraform fails its import.
    let resp = api
        .http
        .post(format!("{}/api/v2/files", sim.url()))
        .header("Coder-Session-Token", sim.session_token())
        .header("Content-Type", "application/x-tar")
        .body(tar_with(&[("notes.txt", "nothing here")]))
        .send()
        .await
        .unwrap();
    let bad_file: Value = resp.json().await.unwrap();
    let (_, bad) = api
        .send(
            Method::POST,
            &format!("/api/v2/organizations/{org}/templateversions"),
            json!({"file_id": bad_file["hash"], "storage_method": "file", "provisioner": "terraform"}),
        )
        .await;
    let bad_id = bad["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        sim.wait_for_template_version(bad_id).await,
        JobOutcome::Failed
    );
    let failed = api.get(&format!("/api/v2/templateversions/{bad_id}")).await;
    assert_eq!(failed["job"]["status"], "failed");
    assert!(
        failed["job"]["error"]
            .as_str()
            .unwrap()
            .contains("Terraform")
    );
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn workspace_build_and_agent_endpoints_match_swagger() {
    let sim = SimulatedCoder::start().await.unwrap();
    let api = Api {
        sim: &sim,
        http: reqwest::Client::new(),
    };
    let ws = sim.workspace_id("dev").unwrap();
    let agent = sim.agent_id("dev").unwrap();
    api.get("/api/v2/workspaces").await;
    api.get("/api/v2/workspaces?q=owner:me%20name:de&limit=10&offset=0")
        .await;
    let dev = api.get(&format!("/api/v2/workspaces/{ws}")).await;
    api.get("/api/v2/users/me/workspace/dev").await;
    api.get(&format!("/api/v2/workspaces/{ws}/builds")).await;
    let build = dev["latest_build"]["id"].as_str().unwrap().to_owned();
    api.get(&format!("/api/v2/workspacebuilds/{build}")).await;
    api.get(&format!("/api/v2/workspacebuilds/{build}/logs"))
        .await;
    api.get(&format!(
        "/api/v2/workspacebuilds/{build}/logs?after=0&format=json"
    ))
    .await;
    api.get(&format!("/api/v2/workspaceagents/{agent}")).await;
    api.get(&format!("/api/v2/workspaceagents/{agent}/logs"))
        .await;
    let ports = api
        .get(&format!("/api/v2/workspaceagents/{agent}/listening-ports"))
        .await;
    assert_eq!(ports["ports"][0]["port"], 13337);

    let template = sim.template_id("docker").unwrap();
    let preset = api
        .get(&format!(
            "/api/v2/templateversions/{}/presets",
            sim.active_version_id("docker").unwrap()
        ))
        .await[1]["ID"]
        .clone();
    let (status, created) = api
        .send(
            Method::POST,
            "/api/v2/users/me/workspaces",
            json!({"name": "big", "template_id": template, "template_version_preset_id": preset}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let first = created["latest_build"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(sim.wait_for_build(first).await, JobOutcome::Succeeded);
    let (status, created) = api
        .send(
            Method::POST,
            &format!(
                "/api/v2/organizations/{}/members/alice/workspaces",
                sim.organization_id()
            ),
            json!({"name": "for-alice", "template_id": template}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["owner_name"], "alice");

    let (status, stop) = api
        .send(
            Method::POST,
            &format!("/api/v2/workspaces/{ws}/builds"),
            json!({"transition": "stop"}),
        )
        .await;
    assert_eq!(status, 200);
    let stop_id = stop["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(sim.wait_for_build(stop_id).await, JobOutcome::Succeeded);
    let stopped = api.get(&format!("/api/v2/workspaces/{ws}")).await;
    assert_eq!(stopped["latest_build"]["status"], "stopped");
    let (status, _) = api
        .call(
            Method::GET,
            &format!("/api/v2/workspaceagents/{agent}/listening-ports"),
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 400, "a stopped agent has no ports");
    let (status, immutable) = api
        .send(
            Method::POST,
            &format!("/api/v2/workspaces/{ws}/builds"),
            json!({"transition": "start", "rich_parameter_values": [{"name": "image", "value": "codercom/enterprise-node:ubuntu"}]}),
        )
        .await;
    assert_eq!(status, 400, "{immutable}");
    let (status, start) = api
        .send(
            Method::POST,
            &format!("/api/v2/workspaces/{ws}/builds"),
            json!({"transition": "start"}),
        )
        .await;
    assert_eq!(status, 200);
    let start_id = start["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(sim.wait_for_build(start_id).await, JobOutcome::Succeeded);
    assert!(sim.wait_for_agent_ready(agent).await);

    let legacy = sim.workspace_id("legacy").unwrap();
    let (status, del) = api
        .send(
            Method::POST,
            &format!("/api/v2/workspaces/{legacy}/builds"),
            json!({"transition": "delete"}),
        )
        .await;
    assert_eq!(status, 200);
    let del_id = del["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(sim.wait_for_build(del_id).await, JobOutcome::Succeeded);
    let (status, _) = api
        .call(
            Method::GET,
            &format!("/api/v2/workspaces/{legacy}"),
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 404);

    // Errors: bad UUID, unknown id, bad transition, member cannot see admin's workspace.
    let (status, body) = api
        .call(
            Method::GET,
            "/api/v2/workspaces/not-a-uuid",
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = api
        .call(
            Method::GET,
            &format!("/api/v2/workspaces/{}", uuid::Uuid::new_v4()),
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, body) = api
        .send(
            Method::POST,
            &format!("/api/v2/workspaces/{ws}/builds"),
            json!({"transition": "explode"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["validations"][0]["field"], "transition");
    let (status, _) = api
        .call(
            Method::GET,
            &format!("/api/v2/workspaces/{ws}"),
            Some(sim.member_token()),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = api
        .call(
            Method::GET,
            "/api/v2/users/me/workspace/nope",
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn app_status_and_task_endpoints_match_swagger() {
    let sim = SimulatedCoder::start().await.unwrap();
    let api = Api {
        sim: &sim,
        http: reqwest::Client::new(),
    };
    let agent_token = sim.agent_token().unwrap();
    let (status, body) = api
        .call(
            Method::PATCH,
            "/api/v2/workspaceagents/me/app-status",
            Some(&agent_token),
            Some(json!({"app_slug": "code-server", "state": "working", "message": "Reading the code", "uri": "https://example.com/pr/1"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let reports = sim.app_statuses();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].state, "working");
    assert_eq!(reports[0].message, "Reading the code");
    let dev = api.get("/api/v2/users/me/workspace/dev").await;
    assert_eq!(dev["latest_app_status"]["state"], "working");
    let app = &dev["latest_build"]["resources"][0]["agents"][0]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["slug"] == "code-server")
        .unwrap()
        .clone();
    assert_eq!(app["statuses"][0]["message"], "Reading the code");
    let (status, _) = api
        .call(
            Method::PATCH,
            "/api/v2/workspaceagents/me/app-status",
            Some(&agent_token),
            Some(json!({"app_slug": "nope", "state": "idle"})),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = api
        .call(
            Method::PATCH,
            "/api/v2/workspaceagents/me/app-status",
            Some(sim.session_token()),
            Some(json!({"app_slug": "code-server", "state": "idle"})),
        )
        .await;
    assert_eq!(status, 401, "a user token is not an agent token");
    let (status, _) = api
        .call(Method::GET, "/api/v2/users/me", Some(&agent_token), None)
        .await;
    assert_eq!(status, 401, "an agent token is not a user token");

    let tasks = api.get("/api/v2/tasks?q=owner:me").await;
    assert_eq!(tasks["count"], 1);
    assert_eq!(tasks["tasks"][0]["name"], "fix-readme");
    assert_eq!(tasks["tasks"][0]["status"], "active");
    let task_id = sim.task_id("fix-readme").unwrap();
    api.get(&format!("/api/v2/tasks/me/{task_id}")).await;
    api.get("/api/v2/tasks/admin/fix-readme").await;
    let (status, _) = api
        .send(
            Method::POST,
            &format!("/api/v2/tasks/me/{task_id}/send"),
            json!({"input": "also fix CONTRIBUTING.md"}),
        )
        .await;
    assert_eq!(status, 204);
    let logs = api.get(&format!("/api/v2/tasks/me/{task_id}/logs")).await;
    let contents: Vec<&str> = logs["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["content"].as_str().unwrap())
        .collect();
    assert!(contents.contains(&"also fix CONTRIBUTING.md"));

    let version = sim.active_version_id("docker").unwrap();
    let (status, task) = api
        .send(
            Method::POST,
            "/api/v2/tasks/me",
            json!({"input": "Write tests", "template_version_id": version, "name": "write-tests"}),
        )
        .await;
    assert_eq!(status, 201, "{task}");
    assert_eq!(task["status"], "pending");
    let ws = sim.workspace_id("write-tests").unwrap();
    let build = sim.latest_build_id(ws).unwrap();
    assert_eq!(sim.wait_for_build(build).await, JobOutcome::Succeeded);
    assert!(
        sim.wait_for_agent_ready(sim.agent_id("write-tests").unwrap())
            .await
    );
    let task = api.get("/api/v2/tasks/me/write-tests").await;
    assert_eq!(task["status"], "active");
    let (status, _) = api
        .send(
            Method::POST,
            "/api/v2/tasks/me",
            json!({"input": "", "template_version_id": version}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = api
        .call(
            Method::DELETE,
            "/api/v2/tasks/me/write-tests",
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 202);
    let (status, _) = api
        .call(
            Method::GET,
            "/api/v2/tasks/me/write-tests",
            Some(sim.session_token()),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = api
        .send(
            Method::POST,
            &format!("/api/v2/tasks/me/{}/send", uuid::Uuid::new_v4()),
            json!({"input": "x"}),
        )
        .await;
    assert_eq!(status, 404);
    assert_requests_match_swagger(&sim);
}

#[test]
fn the_swagger_checker_rejects_wrong_types_and_missing_required_fields() {
    let contract = swagger();
    let user = json!({
        "id": "9a7b9d3e-7e57-4f2c-9a9e-0a0c6b3f6a11",
        "username": "admin",
        "email": "admin@coder.test",
        "created_at": "2026-01-01T00:00:00Z",
    });
    contract
        .validate_definition("codersdk.User", &user)
        .unwrap();
    let mut missing = user.clone();
    missing.as_object_mut().unwrap().remove("username");
    assert!(
        contract
            .validate_definition("codersdk.User", &missing)
            .is_err()
    );
    let mut wrong = user.clone();
    wrong["id"] = json!(42);
    assert!(
        contract
            .validate_definition("codersdk.User", &wrong)
            .is_err()
    );
    let mut bad_uuid = user.clone();
    bad_uuid["id"] = json!("not-a-uuid");
    assert!(
        contract
            .validate_definition("codersdk.User", &bad_uuid)
            .is_err()
    );
    let mut bad_time = user.clone();
    bad_time["created_at"] = json!("yesterday");
    assert!(
        contract
            .validate_definition("codersdk.User", &bad_time)
            .is_err()
    );
    let mut invented = user;
    invented["favourite_colour"] = json!("blue");
    assert!(
        contract
            .validate_definition("codersdk.User", &invented)
            .is_err()
    );
    assert!(
        contract
            .validate_definition("codersdk.Workspace", &json!({"latest_build": null}))
            .is_ok()
    );

    assert!(contract.operation("GET", "/api/v2/users/me").is_ok());
    assert!(
        contract
            .operation("PATCH", "/api/v2/workspaceagents/me/app-status")
            .is_ok()
    );
    assert!(contract.operation("GET", "/api/v2/does-not-exist").is_err());
    assert!(contract.operation("PUT", "/api/v2/users/me").is_err());
    let bad_query = [("limit".to_owned(), "ten".to_owned())];
    assert!(
        contract
            .check_request("GET", "/api/v2/workspaces", &bad_query, None)
            .is_err()
    );
    assert!(
        contract
            .check_request("GET", "/api/v2/workspaces/not-a-uuid", &[], None)
            .is_err()
    );
    assert!(
        contract
            .check_request(
                "POST",
                "/api/v2/workspaces/9a7b9d3e-7e57-4f2c-9a9e-0a0c6b3f6a11/builds",
                &[],
                Some(&json!({"transition": "explode"}))
            )
            .is_err()
    );
    let op = contract.operation("GET", "/api/v2/users/me").unwrap();
    assert!(
        contract
            .check_response(op, 200, Some(&json!({"username": 1})))
            .is_err()
    );
    assert!(
        contract
            .check_response(op, 404, Some(&json!({"detail": "no message"})))
            .is_err()
    );
    assert!(contract.check_response(op, 201, Some(&json!({}))).is_err());
}
