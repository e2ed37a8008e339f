strata_unit_test(cluster_unit_tests
  SOURCES unit/etcd_json_test.cpp
          unit/etcd_endpoints_test.cpp
          unit/cluster_layout_test.cpp
          unit/cluster_values_test.cpp
          unit/lease_file_test.cpp
          unit/partition_assignment_test.cpp
          unit/leader_choice_test.cpp
          unit/cluster_metadata_test.cpp
          unit/cluster_options_test.cpp
  LIBS strata_cluster)

strata_unit_test(cluster_tests
  SOURCES integration/etcd_process.cpp
          integration/etcd_test_util.cpp
          integration/etcd_client_test.cpp
          integration/etcd_watch_test.cpp
          integration/membership_test.cpp
          integration/controller_election_test.cpp
          integration/metadata_view_test.cpp
          integration/topic_admin_test.cpp
          integration/partition_leadership_test.cpp
          integration/cluster_node_test.cpp
          integration/cluster_kill9_test.cpp
  LIBS strata_cluster strata_it_support)

# A process holding one ClusterNode, killed -9 by cluster_tests.
add_executable(cluster-node-child integration/cluster_node_child.cpp)
target_link_libraries(cluster-node-child PRIVATE strata_cluster)
target_compile_definitions(cluster_tests PRIVATE STRATA_CLUSTER_NODE_CHILD="$<TARGET_FILE:cluster-node-child>")
add_dependencies(cluster_tests cluster-node-child)

# Whole strata-broker processes in cluster mode against a real etcd.
strata_unit_test(broker_cluster_tests
  SOURCES integration/etcd_process.cpp
          integration/broker_cluster_fixture.cpp
          integration/broker_cluster_join_test.cpp
          integration/broker_cluster_routing_test.cpp
          integration/broker_cluster_failure_test.cpp
          integration/broker_cluster_figures_test.cpp
          integration/cli_cluster_test.cpp
          integration/cluster_up_script_test.cpp
          integration/net_lab.cpp
          integration/broker_cluster_partition_test.cpp
          integration/etcd_cluster.cpp
          integration/broker_cluster_etcd_member_test.cpp
          integration/client_cluster_routing_test.cpp
  LIBS strata_it_support)
add_dependencies(broker_cluster_tests strata-broker strata)
target_compile_definitions(broker_cluster_tests PRIVATE STRATA_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
