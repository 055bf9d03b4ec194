import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createInspectorClient } from './api/create-client';
import { setInspectorClient } from './stores/client';
import './styles.css';

setInspectorClient(createInspectorClient());
createApp(App).use(createPinia()).mount('#app');
