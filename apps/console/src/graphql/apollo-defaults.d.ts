import '@apollo/client';

// The client's default errorPolicy is 'all' (src/graphql/client.ts); declaring it types every hook's
// result accordingly (data may be partial while `error` holds the errors at their paths).
declare module '@apollo/client' {
  export namespace ApolloClient {
    export namespace DeclareDefaultOptions {
      interface WatchQuery {
        errorPolicy: 'all';
      }
      interface Query {
        errorPolicy: 'all';
      }
      interface Mutate {
        errorPolicy: 'all';
      }
    }
  }
}
