// A suite in another language against a served cognito-mock: the AWS SDK for JavaScript v3 for
// Cognito, plain fetch for the control API (/_cognito-mock/), and a PreSignUp trigger served by
// this test as a webhook. Run by tests/node/test_node_suite.py with COGNITO_MOCK_URL set.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";

import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  SignUpCommand,
  UserLambdaValidationException,
} from "@aws-sdk/client-cognito-identity-provider";

const URL_ = process.env.COGNITO_MOCK_URL;
assert.ok(URL_, "COGNITO_MOCK_URL must name the served mock");
const PASSWORD = "Correct-Horse-9";

const cognito = new CognitoIdentityProviderClient({
  region: "us-east-1",
  endpoint: URL_,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});

async function control(method, path, body) {
  const response = await fetch(`${URL_}/_cognito-mock/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  assert.equal(response.status, 200, JSON.stringify(answer));
  return answer;
}

// The PreSignUp "Lambda": refuses one domain, lets everyone else sign up unconfirmed.
const events = [];
const webhook = http.createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    const event = JSON.parse(body);
    events.push(event);
    response.setHeader("content-type", "application/json");
    if (event.request.userAttributes.email.endsWith("@blocked.example")) {
      response.statusCode = 400;
      response.end(JSON.stringify({ errorMessage: "blocked domain" }));
      return;
    }
    response.end(JSON.stringify(event));
  });
});

let poolId;
let clientId;

before(async () => {
  await control("POST", "reset");
  await new Promise((resolve) => webhook.listen(0, "127.0.0.1", resolve));
  const hook = `http://127.0.0.1:${webhook.address().port}/pre-sign-up`;
  await control("PUT", "triggers/PreSignUp", { url: hook });
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: "node-suite",
      AutoVerifiedAttributes: ["email"],
      LambdaConfig: { PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up" },
    }),
  );
  poolId = pool.UserPool.Id;
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "node",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  clientId = client.UserPoolClient.ClientId;
});

after(() => webhook.close());

test("sign up, read the code, confirm, sign in, expire the access token", async () => {
  const signedUp = await cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: "ann",
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: "ann@example.com" }],
    }),
  );
  assert.equal(signedUp.UserConfirmed, false);
  assert.equal(events.at(-1).triggerSource, "PreSignUp_SignUp");
  assert.equal(events.at(-1).userPoolId, poolId);

  const message = await control("GET", "outbox/last?destination=ann%40example.com");
  assert.equal(message.kind, "confirm_sign_up");
  assert.match(message.code, /^\d{6}$/);
  await cognito.send(
    new ConfirmSignUpCommand({ ClientId: clientId, Username: "ann", ConfirmationCode: message.code }),
  );

  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "ann", PASSWORD },
    }),
  );
  const token = auth.AuthenticationResult.AccessToken;
  const user = await cognito.send(new GetUserCommand({ AccessToken: token }));
  assert.equal(user.Username, "ann");

  const now = await control("GET", "clock");
  const later = await control("POST", "clock/advance", { seconds: auth.AuthenticationResult.ExpiresIn + 1 });
  assert.ok(later.epoch >= now.epoch + 3601);
  await assert.rejects(
    cognito.send(new GetUserCommand({ AccessToken: token })),
    (error) => {
      assert.ok(error instanceof NotAuthorizedException, `${error.name}: ${error.message}`);
      assert.equal(error.message, "Access Token has expired");
      return true;
    },
  );
});

test("the PreSignUp webhook can refuse a sign-up", async () => {
  await assert.rejects(
    cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "eve",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "eve@blocked.example" }],
      }),
    ),
    (error) => {
      assert.ok(error instanceof UserLambdaValidationException, `${error.name}: ${error.message}`);
      assert.equal(error.message, "PreSignUp failed with error blocked domain.");
      return true;
    },
  );
  const outbox = await control("GET", "outbox?destination=eve%40blocked.example");
  assert.deepEqual(outbox.messages, []);
});
