# Thin aliases over the npm scripts, which are the source of truth (CI runs them). `make` or `make help` lists them.
# Variables: IMAGE (make image / up), IMAGE_REF and VERSION (release-deploy), ENV (release-verify / rollback),
# FROM and TO (release-promote), TO_IMAGE and REASON (release-rollback).
.DEFAULT_GOAL := help
.PHONY: help install dev start test lint format typecheck build synth synth-check bench image up down \
	release-deploy release-verify release-promote release-rollback release-status drills

IMAGE ?= hello-app:local
ENV ?= dev

help: ## List the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  %-18s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

install: ## Install dependencies exactly as locked (npm ci)
	npm ci

dev: ## Run the API with reload on change (npm run dev)
	npm run dev

start: ## Run the API on port 8080, on the embedded database unless DATABASE_URL is set
	npm start

test: ## Run the test suite
	npm test

lint: ## ESLint (type-aware) and Prettier --check
	npm run lint

format: ## Format with Prettier and apply ESLint fixes
	npm run format

typecheck: ## TypeScript, strict, no emit
	npm run typecheck

build: ## Compile to dist/ (what the image runs)
	npm run build

synth: ## Synthesize gitops/<env>/ and charts/ from cdk8s/
	npm run synth

synth-check: ## Fail when the committed gitops/ or charts/ differ from what cdk8s produces
	npm run synth -- --check

bench: ## Load test GET and PUT against the bare node:http + pg ceiling
	npm run bench

image: ## Build the container image (needs a Docker engine)
	docker build -t $(IMAGE) .

up: ## PostgreSQL, migration, API and Prometheus with Docker Compose
	docker compose up --build

down: ## Stop the Compose stack and delete its database volume
	docker compose down -v

release-deploy: ## Record IMAGE_REF (repo@sha256:...) in dev: make release-deploy IMAGE_REF=... [VERSION=v1.2.3]
	@test -n "$(IMAGE_REF)" || { echo "usage: make release-deploy IMAGE_REF=<repository>@sha256:<digest> [VERSION=<tag>]"; exit 2; }
	npm run release -- deploy --env dev --image $(IMAGE_REF) $(if $(VERSION),--version $(VERSION))

release-verify: ## Run the gates for ENV (default dev): make release-verify ENV=staging
	npm run release -- verify --env $(ENV)

release-promote: ## Promote the verified image: make release-promote FROM=dev TO=staging
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "usage: make release-promote FROM=<env> TO=<env>"; exit 2; }
	npm run release -- promote --from $(FROM) --to $(TO)

release-rollback: ## Roll ENV back to its last verified image: make release-rollback ENV=prod REASON="..." [TO_IMAGE=...]
	@test -n "$(REASON)" || { echo "usage: make release-rollback ENV=<env> REASON=\"<why>\" [TO_IMAGE=<image>]"; exit 2; }
	npm run release -- rollback --env $(ENV) --reason "$(REASON)" $(if $(TO_IMAGE),--to $(TO_IMAGE))

release-status: ## Each environment's image, since when, from where, last verdict
	npm run release -- status

drills: ## Failure drills (see docs/drills.md)
	npm run drills
