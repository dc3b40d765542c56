#!/usr/bin/env bash
# The AWS CLI works against the sandbox unchanged: run `npm run sandbox` (or `npm run dev`), then this.
set -euo pipefail
export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
endpoint="${AWS_ENDPOINT_URL:-http://localhost:${SANDBOX_PORT:-4566}}"
aws() { command aws --endpoint-url "$endpoint" --output json "$@"; }

plan_id=$(aws apigateway get-usage-plans --query 'items[?name==`Free`].id | [0]' --output text)
echo "Free plan: $plan_id"
key_id=$(aws apigateway create-api-key --name "cli-demo-$RANDOM" --enabled --query id --output text)
echo "Created key: $key_id"
aws apigateway create-usage-plan-key --usage-plan-id "$plan_id" --key-id "$key_id" --key-type API_KEY >/dev/null
value=$(aws apigateway get-api-key --api-key "$key_id" --include-value --query value --output text)
api_id=$(aws apigateway get-rest-apis --query 'items[?name==`Pets API`].id | [0]' --output text)
curl -fsS -H "x-api-key: $value" "$endpoint/restapis/$api_id/prod/_user_request_/pets" >/dev/null && echo "Called GET /pets with the key"
today=$(date -u +%F)
aws apigateway get-usage --usage-plan-id "$plan_id" --key-id "$key_id" --start-date "$today" --end-date "$today"
aws dynamodb list-tables
