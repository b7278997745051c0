-- Argo CD health of a ReleasePolicy (release.hello-app.dev): what the release guard last saw of the environment's
-- live release, read from the status conditions the guard writes. Argo CD runs it with gopher-lua (Lua 5.1).
local hs = {}

local function condition(conditions, wanted)
  for _, c in ipairs(conditions) do
    if c.type == wanted then
      return c
    end
  end
  return nil
end

local function holds(c)
  return c ~= nil and c.status == "True"
end

if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Suspended: the release guard evaluates nothing and never rolls back"
  return hs
end

local status = obj.status
if status == nil or status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the release guard's first evaluation"
  return hs
end

-- A status written for an older spec says nothing about the current one.
local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the release guard to observe generation " .. generation
  return hs
end

local conditions = status.conditions
local ready = condition(conditions, "Ready")
if ready ~= nil and ready.status == "False" then
  hs.status = "Degraded"
  hs.message = ready.message
  return hs
end

-- After a rollback the environment stays Degraded until a new release passes: someone has to ship a fix.
for _, wanted in ipairs({ "RolledBack", "Breaching" }) do
  local c = condition(conditions, wanted)
  if holds(c) then
    hs.status = "Degraded"
    hs.message = c.message
    return hs
  end
end

local holding = condition(conditions, "Holding")
if holds(holding) then
  hs.status = "Progressing"
  hs.message = "Holding: " .. holding.message
  return hs
end

local healthy = condition(conditions, "Healthy")
if holds(healthy) then
  hs.status = "Healthy"
  hs.message = healthy.message
  return hs
end

hs.status = "Progressing"
if healthy ~= nil and healthy.message ~= nil and healthy.message ~= "" then
  hs.message = healthy.message
else
  hs.message = "Waiting for the release guard's first evaluation"
end
return hs
