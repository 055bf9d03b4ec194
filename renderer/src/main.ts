import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createInspectorClient } from './api/create-client';
import { setInspectorClient } from './stores/client';
import './styles/theme.css';
import './styles/base.css';
import './styles/list.css';
import './styles/message.css';
import './styles/composer.css';

setInspectorClient(createInspectorClient());
createApp(App).use(createPinia()).mount('#app');
