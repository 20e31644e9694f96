import { useMemo } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AuthProvider } from '../auth/AuthProvider.js';
import { createClient } from '../graphql/client.js';
import { routes } from './routes.js';

export function App() {
  const client = useMemo(() => createClient(), []);
  const router = useMemo(() => createBrowserRouter(routes), []);
  return (
    <AuthProvider>
      <ApolloProvider client={client}>
        <RouterProvider router={router} />
      </ApolloProvider>
    </AuthProvider>
  );
}
