// Azure resources for Reverse Mentor, deployed by `teamsapp provision` (arm/deploy in
// teamsapp.yml) into one resource group:
//   - Log Analytics workspace + Application Insights
//   - Storage account (tables + the check-in queue), reached by the web app's managed identity
//     (no keys: shared key access is off)
//   - Linux App Service plan + Web App (Node 24) running the bot, the tab and its API
//   - Azure Bot (single tenant) with the Microsoft Teams channel
// The outputs are written back to env/.env.<env> by the Toolkit (names as they are here).

@description('Short lower-case suffix that makes resource names unique; empty: derived from the resource group id.')
@maxLength(12)
param resourceSuffix string = ''

@description('Azure region of everything except the bot registration (which is global).')
param location string = resourceGroup().location

@description('Client (application) id of the bot\'s Entra app registration (BOT_ID).')
param botAadAppClientId string

@description('Client secret of the bot\'s Entra app registration (SECRET_BOT_PASSWORD).')
@secure()
param botAadAppClientSecret string

@description('Display name of the Azure Bot resource.')
param botDisplayName string = 'Reverse Mentor'

@description('Azure Bot pricing tier: F0 (free, standard channels such as Teams are free on both) or S1.')
@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@description('App Service plan SKU. B1 is the smallest with Always On; F1/D1 work for a trial only.')
@allowed([
  'F1'
  'D1'
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param webAppSku string = 'B1'

@description('Client id of the tab\'s Entra app used for Teams SSO (TAB_APP_ID).')
param tabAppId string

@description('Client secret of the tab\'s Entra app (SECRET_TAB_APP_PASSWORD): the on-behalf-of exchange for people\'s calendars.')
@secure()
param tabAppClientSecret string

@description('The Teams app\'s manifest id (TEAMS_APP_ID), for deep links into its tabs.')
param teamsAppId string = ''

@description('Comma-separated Entra object ids of the programme admins from the start (BOT_ADMINS).')
param botAdmins string = ''

@description('Object id of an Entra group whose members are programme admins (BOT_ADMIN_GROUP); empty: none.')
param botAdminGroup string = ''

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

var suffix = empty(resourceSuffix) ? take(uniqueString(subscription().id, resourceGroup().id), 6) : toLower(resourceSuffix)
var baseName = 'rmentor-${suffix}'
// Storage account names: 3-24 lower-case letters and digits, globally unique.
var storageAccountName = take('rmentor${replace(suffix, '-', '')}${uniqueString(resourceGroup().id)}', 24)
// The tables of bot/storage/store.ts and the check-in queue (CHECKIN_QUEUE default).
var tableNames = [
  'tenants'
  'programmes'
  'participants'
  'pairs'
  'proposals'
  'rounds'
  'checkins'
  'progress'
  'users'
  'admins'
  'feedback'
  'sendschedule'
  'baselines'
  'sessions'
]
var checkinQueueName = 'checkins'
// Free and shared plans cannot keep the app loaded.
var alwaysOn = !contains([
  'F1'
  'D1'
], webAppSku)
// Built-in role definitions (same ids in every tenant).
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${baseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${baseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for name in tableNames: {
  parent: tableService
  name: name
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource checkinQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: checkinQueueName
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${baseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: '${baseName}-app'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      // The production server; `npm start` is the local development launcher.
      appCommandLine: 'npm run serve'
      alwaysOn: alwaysOn
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      healthCheckPath: '/healthz'
      appSettings: [
        {
          name: 'MicrosoftAppId'
          value: botAadAppClientId
        }
        {
          name: 'MicrosoftAppPassword'
          value: botAadAppClientSecret
        }
        {
          name: 'MicrosoftAppTenantId'
          value: tenant().tenantId
        }
        {
          name: 'MicrosoftAppType'
          value: 'SingleTenant'
        }
        {
          name: 'AZURE_STORAGE_ACCOUNT'
          value: storage.name
        }
        {
          name: 'TAB_APP_ID'
          value: tabAppId
        }
        {
          name: 'TAB_APP_PASSWORD'
          value: tabAppClientSecret
        }
        {
          name: 'BOT_ADMINS'
          value: botAdmins
        }
        {
          name: 'BOT_ADMIN_GROUP'
          value: botAdminGroup
        }
        {
          name: 'TEAMS_APP_ID'
          value: teamsAppId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1'
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
        {
          name: 'NODE_ENV'
          value: 'production'
        }
      ]
    }
  }
}

// The web app's identity may read and write the tables and the queue (and nothing else).
resource tableDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, webApp.id, storageTableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, webApp.id, storageQueueDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributorRoleId)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${baseName}-bot'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppTenantId: tenant().tenantId
    msaAppType: 'SingleTenant'
    disableLocalAuth: false
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Read by teamsapp.yml (zipDeploy target) and by the manifest placeholders.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output AZURE_STORAGE_ACCOUNT string = storage.name
output BOT_SERVICE_RESOURCE_ID string = bot.id
